"""`manage.py varnish_vcl`: render the Varnish configuration for an edge in front of Folio."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api.delivery.cdn.vcl import RECOMMENDED_PARAMETERS, render_vcl

OPTIONS = {"backend_host": "--backend", "backend_port": "--backend", "purge_from": "--purge-from"}


def _backend(value: str) -> tuple[str, int]:
    """`HOST:PORT`, with an IPv6 host in brackets: `[::1]:8000`."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise CommandError(f"--backend: expected HOST:PORT (e.g. 127.0.0.1:8000), got {value!r}")
    if host.startswith("[") != host.endswith("]") or (":" in host and not host.startswith("[")):
        raise CommandError(f"--backend: write an IPv6 host in brackets, [::1]:8000; got {value!r}")
    return host.strip("[]"), int(port)


class Command(BaseCommand):
    help = (
        "Print the VCL (Varnish 7, vmod xkey) for a Varnish node in front of Folio: caches the "
        "anonymous API and feeds, purged by surrogate key from the --purge-from addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            required=True,
            metavar="HOST:PORT",
            help="Folio's address, as Varnish sees it",
        )
        parser.add_argument(
            "--purge-from",
            action="append",
            metavar="CIDR",
            help="An address or network allowed to PURGE (repeatable; default: loopback only)",
        )
        parser.add_argument("--output", metavar="FILE", help="Write here instead of stdout")

    def handle(self, *args, backend, purge_from, output, **options):
        host, port = _backend(backend)
        try:
            vcl = render_vcl(backend_host=host, backend_port=port, purge_from=purge_from)
        except ValueError as error:
            # render_vcl's messages start with the argument's name: give the option's instead.
            name, _, message = str(error).partition(": ")
            raise CommandError(f"{OPTIONS.get(name, name)}: {message}") from None
        if output:
            Path(output).write_text(vcl)
            self.stderr.write(
                f"Wrote {output}; start varnishd with {' '.join(RECOMMENDED_PARAMETERS)}."
            )
        else:
            self.stdout.write(vcl, ending="")
