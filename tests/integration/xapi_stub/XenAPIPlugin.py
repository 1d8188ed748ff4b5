"""A stand-in for XAPI's XenAPIPlugin module, enough to call a plugin's
functions directly: Failure as XAPI defines it, and dispatch."""


class Failure(Exception):
    def __init__(self, code, params):
        Exception.__init__(self, code, params)
        self.code = code
        self.params = params

    def __str__(self):
        return "XenAPIPlugin.Failure(%r, %r)" % (self.code, self.params)


def dispatch(functions):
    raise SystemExit("the stand-in cannot be run as a plugin by XAPI")
