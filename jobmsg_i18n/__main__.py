"""``python -m jobmsg_i18n``: the ``jobmsg`` command."""

import sys

from jobmsg_i18n.cli import main

sys.exit(main())
