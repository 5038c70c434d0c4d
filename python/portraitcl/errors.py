"""The engine's failures as Python exceptions (status codes of include/portraitcl.h)."""


class PortraitError(Exception):
    """A PortraitCL call failed; the message is the engine's own. `status` is the C status code."""

    status = 5

    def __init__(self, message, status=None):
        super().__init__(message)
        if status is not None:
            self.status = status


class InvalidArgumentError(PortraitError, ValueError):
    """An argument the engine cannot honour (wrong size, unknown name, NULL...)."""

    status = 1


class FileError(PortraitError, OSError):
    """A file could not be read or written, or holds something else."""

    status = 2


class DeviceError(PortraitError):
    """The device failed (OpenCL error, out of device memory, no such device)."""

    status = 3


class StateError(PortraitError):
    """A call out of order (rendering before a source is set)."""

    status = 4


_BY_STATUS = {1: InvalidArgumentError, 2: FileError, 3: DeviceError, 4: StateError}


def check(status, message):
    """Raises the exception for a non-zero `status` with `message` (bytes or str)."""
    if status == 0:
        return
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    raise _BY_STATUS.get(status, PortraitError)(message or "PortraitCL call failed with status %d" % status, status)
