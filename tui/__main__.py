import sys

from folio_reader.tui.cli import main

sys.exit(main())
