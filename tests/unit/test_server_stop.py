"""The server's stop ends every kernel, though one ends by itself meanwhile (innokraft.serve).

CI once logged a traceback on stop: a page's shutdown beacon ended a kernel while the manager's
shutdown_all was ending them all, and jupyter_server answered that kernel with a 404.
"""

import asyncio

import pytest
import tornado.web

from innokraft.web.app import end_all_kernels


class Manager:
    """A kernel manager whose kernels end as jupyter_server's do: a kernel already gone is a 404."""

    def __init__(self, kernels: int, gone_meanwhile: int = 0, error: int = 404):
        self.kernels = set(range(kernels))
        self.gone_meanwhile = gone_meanwhile
        self.error = error

    async def shutdown_all(self, now: bool = False):
        for kernel in sorted(self.kernels):
            if self.gone_meanwhile:
                self.gone_meanwhile -= 1
                raise tornado.web.HTTPError(self.error, f"Kernel does not exist: {kernel}")
            self.kernels.discard(kernel)


def test_a_kernel_gone_meanwhile_is_no_error_and_the_rest_still_end():
    manager = Manager(kernels=3, gone_meanwhile=1)
    asyncio.run(end_all_kernels(manager))
    assert manager.kernels == set()


@pytest.mark.parametrize("gone, error", [(3, 404), (1, 500)])
def test_other_failures_are_not_hidden(gone, error):
    with pytest.raises(tornado.web.HTTPError):
        asyncio.run(end_all_kernels(Manager(kernels=3, gone_meanwhile=gone, error=error)))
