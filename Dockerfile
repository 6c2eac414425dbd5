# Baotou Carbon: one image for web (gunicorn), worker and beat; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# CJK fonts for the PDF reports (weasyprint picks Noto Sans CJK SC for lang="zh-CN"), and
# the Pango and HarfBuzz libraries WeasyPrint lays text out and subsets fonts with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

# The code stays root-owned (read-only for the app); only collected static files and
# uploads are writable. A new named volume on /app/media inherits this ownership.
COPY . .
RUN mkdir -p /app/staticfiles /app/media \
    && chown app:app /app/staticfiles /app/media

USER app

EXPOSE 8000
CMD ["gunicorn", "baotou_carbon.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
