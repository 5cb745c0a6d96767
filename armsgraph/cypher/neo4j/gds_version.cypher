// The Graph Data Science library's version (fails where GDS is not installed: the analyses then run in Python).
// access: admin
RETURN gds.version() AS version
