"""A deterministic license-server simulator for the demo and the tests.

``python -m monitoring.simulator lmstat -a -c 27000@flex1`` prints what ``lmutil`` would,
``python -m monitoring.simulator rlmstat -a -c 5053@rlm1`` what ``rlmutil`` would, for the
demo estate in :mod:`monitoring.simulator.estate`. The output at an instant is a pure
function of the seed and that instant (``LIMON_SIM_NOW`` overrides "now"). No Django import:
the poller runs it as a subprocess, once per server and poll.
"""
