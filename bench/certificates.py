"""Benchmark: the full issuance path (service + serial + seal log + PDF) against its floor, WeasyPrint rendering
a bare one-page document in the same font, measured in the same run. Goal: within 2x of the floor.

    DEBUG=1 .venv/bin/python bench/certificates.py [--runs 10]

Runs against a throwaway SQLite database (or DATABASE_URL's test database) created by Django's test runner."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community_admin.config.settings_test")


def timed(fn, runs: int) -> float:
    fn()  # warm-up: fonts loaded, templates compiled
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        run(args.runs)
    finally:
        runner.teardown_databases(old)


def run(runs: int) -> None:
    from community_admin.accounts.models import Role, User
    from community_admin.certificates import pdf, services
    from community_admin.certificates.models import CertificateType
    from tests.factories import CommitteeFactory, PersonFactory

    committee = CommitteeFactory(code="BENCH", name="基准社区居委会")
    staff = User.objects.create(username="bench", role=Role.COMMITTEE, committee=committee)
    person = PersonFactory(household__committee=committee, name="张三")
    residence = CertificateType.objects.get(code="residence")

    floor = timed(lambda: pdf.FloorDocument().render(), runs)

    def issue_and_print():
        cert = services.certificate_issue(actor=staff, person=person, certificate_type=residence).certificate
        services.certificate_print(actor=staff, certificate=cert)

    full = timed(issue_and_print, runs)
    print(f"floor (WeasyPrint, bare one-page A4 in {pdf.FONT_FAMILY.split(',')[0]}): {floor * 1000:.0f} ms")
    print(f"full issuance (service + serial + seal log + audit + PDF with QR): {full * 1000:.0f} ms")
    print(f"ratio: {full / floor:.2f}x (goal: within 2x)")


if __name__ == "__main__":
    main()
