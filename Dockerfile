# Production-like image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# gettext for compilemessages; Pango and fonts for WeasyPrint (the PDF export).
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Every package from the lock, checked against its hashes.
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
# Settings refuse a weak key outside DEBUG, so the build steps get a random one of their own;
# it signs nothing and is not kept in the image (the real key comes from the environment).
RUN export DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
 && python manage.py collectstatic --noinput \
 && python manage.py compilemessages --ignore=.venv
RUN useradd --create-home kansenagenda
USER kansenagenda
EXPOSE 8000
CMD ["gunicorn", "kansenagenda.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
