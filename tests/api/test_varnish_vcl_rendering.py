"""The shipped VCL: rendered by the varnish_vcl command, and compiled by a real varnishd."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from api.delivery.cdn.vcl import RECOMMENDED_PARAMETERS, render_vcl
from tests.edge_support import require_varnishd

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_VCL = ROOT / "deploy" / "varnish" / "folio.vcl"


class TestRendering:
    def test_the_shipped_file_is_what_the_command_renders(self):
        out = io.StringIO()
        call_command("varnish_vcl", "--backend", "127.0.0.1:8000", stdout=out)
        assert SHIPPED_VCL.read_text() == out.getvalue(), (
            "deploy/varnish/folio.vcl is stale: manage.py varnish_vcl --backend 127.0.0.1:8000 "
            "--output deploy/varnish/folio.vcl"
        )

    def test_the_header_names_the_generator_and_the_parameters(self):
        vcl = render_vcl(backend_host="127.0.0.1", backend_port=8000)
        assert "manage.py varnish_vcl" in vcl
        assert " ".join(RECOMMENDED_PARAMETERS) in vcl
        assert "vcl 4.1;" in vcl
        assert "import xkey;" in vcl
        assert "import std;" in vcl
        assert "softpurge" not in vcl

    def test_the_default_purge_acl_is_loopback(self):
        vcl = render_vcl(backend_host="127.0.0.1", backend_port=8000)
        assert 'acl purgers {\n    "127.0.0.1";\n    "::1";\n}' in vcl

    def test_purge_from_addresses_and_networks_become_acl_entries(self):
        vcl = render_vcl(
            backend_host="folio.internal",
            backend_port=8080,
            purge_from=["10.0.0.0/8", "2001:db8::/32", "192.168.1.5", "10.0.0.0/8"],
        )
        assert (
            'acl purgers {\n    "10.0.0.0"/8;\n    "2001:db8::"/32;\n    "192.168.1.5";\n}' in vcl
        )
        assert '.host = "folio.internal";' in vcl
        assert '.port = "8080";' in vcl

    @pytest.mark.parametrize("entry", ["10.0.0.0/33", "not-an-address", "10.1.0.0/8", ""])
    def test_a_bad_purge_from_entry_is_named(self, entry):
        with pytest.raises(ValueError, match=f"purge_from: {entry!r}"):
            render_vcl(backend_host="127.0.0.1", backend_port=8000, purge_from=["::1", entry])

    def test_an_empty_purge_acl_is_refused(self):
        with pytest.raises(ValueError, match="purge_from"):
            render_vcl(backend_host="127.0.0.1", backend_port=8000, purge_from=[])

    @pytest.mark.parametrize("host", ['evil"; }', "", "a b", "host/path"])
    def test_a_bad_backend_host_is_refused(self, host):
        with pytest.raises(ValueError, match="backend_host"):
            render_vcl(backend_host=host, backend_port=8000)

    @pytest.mark.parametrize("port", [0, 65536, True])
    def test_a_bad_backend_port_is_refused(self, port):
        with pytest.raises(ValueError, match="backend_port"):
            render_vcl(backend_host="127.0.0.1", backend_port=port)


class TestCommand:
    def test_output_writes_the_file_and_purge_from_repeats(self, tmp_path):
        target = tmp_path / "edge.vcl"
        call_command(
            "varnish_vcl",
            "--backend",
            "[::1]:9000",
            "--purge-from",
            "10.0.0.0/8",
            "--purge-from",
            "::1",
            "--output",
            str(target),
            stderr=io.StringIO(),
        )
        assert target.read_text() == render_vcl(
            backend_host="::1", backend_port=9000, purge_from=["10.0.0.0/8", "::1"]
        )

    @pytest.mark.parametrize("backend", ["127.0.0.1", "host:port", ":8000", "::1:8000", "h:70000"])
    def test_a_bad_backend_is_a_command_error(self, backend):
        with pytest.raises(CommandError, match="--backend"):
            call_command("varnish_vcl", "--backend", backend, stdout=io.StringIO())

    def test_a_bad_cidr_is_a_command_error_naming_it(self):
        with pytest.raises(CommandError, match=r"--purge-from: '10\.0\.0\.0/99'"):
            call_command(
                "varnish_vcl",
                "--backend",
                "127.0.0.1:8000",
                "--purge-from",
                "10.0.0.0/99",
                stdout=io.StringIO(),
            )


@pytest.mark.services
class TestCompiles:
    @pytest.mark.parametrize(
        "options",
        [
            {"backend_host": "127.0.0.1", "backend_port": 8000},
            {"backend_host": "::1", "backend_port": 8000, "purge_from": ["10.0.0.0/8", "::1/128"]},
        ],
    )
    def test_varnishd_compiles_the_vcl(self, tmp_path, options):
        require_varnishd()
        path = tmp_path / "folio.vcl"
        path.write_text(render_vcl(**options))
        compiled = subprocess.run(  # noqa: S603
            ["varnishd", "-j", "none", "-n", str(tmp_path / "n"), "-C", "-f", str(path)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        assert compiled.returncode == 0, compiled.stderr[-3000:]
