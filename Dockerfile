# The armsgraph dashboard, wired to Neo4j by docker-compose.yml.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md constraints.txt ./
COPY armsgraph ./armsgraph
# The versions of constraints.txt (tested by CI), wheels only: no compiler in the image.
RUN pip install --only-binary=:all: -c constraints.txt . && useradd --create-home armsgraph && mkdir -p /data && chown armsgraph /data
USER armsgraph
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health')"
CMD ["armsgraph", "serve", "--address", "0.0.0.0", "--port", "8501"]
