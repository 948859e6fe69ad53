"""Peer pipelines for the side-by-side benchmark. Each script runs in its own virtual environment
(never Verbatim's), so it imports only the standard library and the peer's own packages."""
