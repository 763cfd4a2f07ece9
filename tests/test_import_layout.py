"""The packages import one way: views use admin_app and models, and admin_app builds its views only in create_app."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_first(module):
    """Import `module` in a fresh interpreter; return (exit code, the packages it loaded, stderr)."""
    code = (f"import sys, {module}; "
            "print(' '.join(sorted({name.split('.')[0] for name in sys.modules} & {'views', 'admin_app', 'models'})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout.split(), done.stderr


def test_importing_admin_app_loads_no_view():
    code, packages, error = imported_first("admin_app")
    assert code == 0, error
    assert "views" not in packages


@pytest.mark.parametrize("module", ["views.fastlist", "views.base", "views.customer_search", "views.list_rows"])
def test_a_view_module_imports_on_its_own(module):
    """Imported first, a view module finds admin_app without admin_app importing the view back (no cycle)."""
    code, packages, error = imported_first(module)
    assert code == 0, error
    assert {"views", "admin_app"} <= set(packages)
