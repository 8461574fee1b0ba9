"""`innokraft serve`, run by the server process: standalone Voilà with the course's template,
handlers and safe settings, the store API for its kernels, the feedback, export, service and
readiness pages. The only room that imports tornado, Voilà and jupyter_server."""
