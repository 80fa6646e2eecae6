"""The review screen's HTTP side: a small JSON API over ReviewSession, the static page, and
`serve()` which binds 127.0.0.1, prints the URL with the token and runs uvicorn."""

from __future__ import annotations

import logging
import secrets
import socket
import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from woo_anon.errors import BadInputError, ExitCode, WooAnonError
from woo_anon.review_app.guard import TokenGuard
from woo_anon.review_app.session import ReviewSession
from woo_anon.review_app.store import EditError

STATIC = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


def build_app(session: ReviewSession, token: str, port: int):
    """The ASGI app: routes behind the token/host guard."""

    async def call(fn, *args):
        try:
            return JSONResponse(await run_in_threadpool(fn, *args))
        except (EditError, WooAnonError, ValueError, KeyError, TypeError, IndexError) as exc:
            return JSONResponse({"fout": str(exc)}, status_code=400)
        except Exception as exc:  # one line for the officer; the details go to the log
            log.debug("internal error", exc_info=True)
            return JSONResponse({"fout": f"interne fout: {type(exc).__name__}: {str(exc)[:200]}"},
                                status_code=500)

    async def body(request: Request) -> dict:
        try:
            data = await request.json()
        except ValueError:
            data = None
        return data if isinstance(data, dict) else {}

    async def index(request: Request):
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def info(request: Request):
        store = session.store
        return JSONResponse({"reviewer": store.reviewer, "plan_dir": str(store.plan_dir),
                             "output": str(session.outdir), "inputs": session.inputs,
                             "grounds": store.grounds, "default_ground": store.default_ground})

    async def documents(request: Request):
        return await call(lambda: [session.summary(d) for d in session.store.docs])

    async def document(request: Request):
        return await call(session.document, request.path_params["doc"])

    async def page_png(request: Request):
        try:
            zoom = float(request.query_params.get("zoom", "1.5"))
            png = await run_in_threadpool(session.render, request.path_params["doc"],
                                          request.path_params["page"], zoom)
        except (EditError, WooAnonError, ValueError, IndexError) as exc:
            return JSONResponse({"fout": str(exc)}, status_code=404)
        return Response(png, media_type="image/png")

    async def words(request: Request):
        return await call(session.words, request.path_params["doc"], request.path_params["page"])

    async def update(request: Request):
        data = await body(request)
        return await call(session.store.update, request.path_params["doc"], request.path_params["rid"],
                          data.get("status"), data.get("ground"))

    async def add(request: Request):
        data = await body(request)
        doc, page = request.path_params["doc"], int(data.get("page", 0))
        if "box" in data:
            return await call(session.add_box, doc, page, data["box"], data.get("ground"))
        return await call(session.add_selection, doc, page, int(data.get("start", 0)),
                          int(data.get("end", 0)), data.get("ground"))

    async def search(request: Request):
        data = await body(request)
        scope = data.get("document")
        return await call(session.search, str(data.get("term", "")),
                          None if scope in (None, "", "alle") else int(scope),
                          data.get("status", "redact"), data.get("ground", session.store.default_ground))

    async def undo(request: Request):
        return await call(lambda: {"documents": session.store.undo()})

    async def apply_start(request: Request):
        data = await body(request)
        given = data.get("inputs")
        inputs = [str(p) for p in given if str(p).strip()] if isinstance(given, list) else []
        return await call(session.start_apply, bool(data.get("force")), inputs)

    async def apply_state(request: Request):
        return JSONResponse(session.job.state())

    async def output(request: Request):
        try:
            path = await run_in_threadpool(session.output_file, request.path_params["doc"])
        except EditError as exc:
            return JSONResponse({"fout": str(exc)}, status_code=404)
        return FileResponse(path, media_type="application/pdf")

    routes = [
        Route("/", index),
        Route("/api/info", info),
        Route("/api/documents", documents),
        Route("/api/documents/{doc:int}", document),
        Route("/api/documents/{doc:int}/pages/{page:int}.png", page_png),
        Route("/api/documents/{doc:int}/pages/{page:int}/words", words),
        Route("/api/documents/{doc:int}/redactions/{rid:str}", update, methods=["POST"]),
        Route("/api/documents/{doc:int}/redactions", add, methods=["POST"]),
        Route("/api/documents/{doc:int}/output.pdf", output),
        Route("/api/search", search, methods=["POST"]),
        Route("/api/undo", undo, methods=["POST"]),
        Route("/api/apply", apply_start, methods=["POST"]),
        Route("/api/apply", apply_state, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return TokenGuard(Starlette(routes=routes), token, port)


class PortError(WooAnonError):
    exit_code = ExitCode.USAGE


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise PortError(f"127.0.0.1:{port}: cannot listen ({exc.strerror}); choose another --port") from None
    sock.listen(64)
    return sock


def serve(plan_dir: str | Path, inputs: list[str], outdir: str | Path, reviewer: str | None = None,
          port: int = 0, open_browser: bool = True, grounds_file: str | None = None) -> None:
    """Run the review screen until Ctrl-C. Prints the URL (with its one-run token) on stdout.

    Args:
        plan_dir: folder written by `woo-anon plan`.
        inputs: the original documents as given to `plan` (Toepassen needs them).
        outdir: where Toepassen writes, as `woo-anon apply -o`.
        reviewer: name stamped on every change (default: the login name).
        port: 0 for any free port.
        open_browser: open the URL in the default browser.
        grounds_file: grounds table (default: the built-in data/grounds.toml).
    """
    import getpass

    import uvicorn

    if not Path(plan_dir).is_dir():
        raise BadInputError(f"{plan_dir}: no such folder")
    if not any(Path(plan_dir).rglob("*.plan.json")):
        raise BadInputError(f"{plan_dir}: no *.plan.json files (run `woo-anon plan` first)")
    reviewer = reviewer or getpass.getuser()
    session = ReviewSession(Path(plan_dir), inputs, Path(outdir), reviewer, grounds_file)
    sock = bind(port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    url = f"http://127.0.0.1:{port}/?token={token}"
    print(f"Beoordelingsscherm: {url}", flush=True)
    print(f"{len(session.store.docs)} plannen in {plan_dir}; stoppen met Ctrl-C", file=sys.stderr, flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(build_app(session, token, port), log_level="warning", access_log=False,
                            lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        session.close()
        sock.close()
