import sys

from monitoring.simulator.cli import main

sys.exit(main(sys.argv[1:]))
