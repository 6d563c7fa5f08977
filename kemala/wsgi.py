from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kemala.settings")
application = get_wsgi_application()
# Everything loaded so far (Django, the apps, their modules) lives as long as the process: moved out of the
# collector's sight, a full collection no longer walks it, which was a ~100 ms pause now and then in requests.
gc.freeze()
