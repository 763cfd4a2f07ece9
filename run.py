"""Entry point: `flask --app run.py run` or `gunicorn 'run:app'`."""
from admin_app import create_app

app = create_app()

if __name__ == "__main__":
    app.run()
