"""`flask --app app check-data`: the stored appointments that break a rule, named by id, and an
exit status a cron job or a deploy script can act on (test_cli.py's style)."""

from __future__ import annotations

import pytest

from tests.factories import make_appointment, make_location, make_org, make_panel, make_profile


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_check_data_lists_each_appointment_drawn_without_a_panel_and_exits_1(runner, session):
    org, berlin, panel = make_org(session), make_location(session), make_panel(session)
    anna = make_profile(session, org)
    kept = make_appointment(session, anna, berlin, status="blood_drawn", panels=[panel])
    bare = make_appointment(session, make_profile(session, org), berlin, status="blood_drawn")
    bare.barcode = "4006381333931"
    session.commit()
    make_appointment(session, make_profile(session, org), berlin, status="confirmed")

    result = runner.invoke(args=["check-data"])

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bare.id}  blood drawn without a panel: Vena Berlin Mitte, "
        "2026-11-23T10:30:00+01:00, barcode 4006381333931",
        "Error: 1 appointment is recorded as blood drawn without a panel.",
    ]
    assert str(kept.id) not in result.output
    assert "Schmidt" not in result.output  # no patient is named


def test_check_data_with_every_draw_holding_a_panel_says_so_and_exits_0(runner, session):
    panel = make_panel(session)
    make_appointment(
        session,
        make_profile(session, make_org(session)),
        make_location(session),
        status="blood_drawn",
        panels=[panel],
    )

    result = runner.invoke(args=["check-data"])

    assert (result.exit_code, result.output) == (
        0,
        "No stored appointment breaks a rule checked here.\n",
    )
