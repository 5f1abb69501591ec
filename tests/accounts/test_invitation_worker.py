"""New hires' invitations go out from a real worker once HR's enrolment commits."""

import pytest

from accounts import services
from accounts.models import Invitation
from tests.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

NEW_HIRES = (
    "姓名,邮箱,部门,入职日期,认证\n"
    "张伟,zhang.wei@example.com,客服一部,2026-03-02,电话礼仪认证(一级)\n"
    "李娜,li.na@example.com,客服一部,2026-03-02,电话礼仪认证(一级)\n"
)


def test_a_worker_sends_every_new_hires_invitation(celery_worker, hr, tracks, departments):
    batch = services.upload_batch(
        actor=hr,
        filename="x.csv",
        data=NEW_HIRES.encode(),
        create_departments=False,
        cohort_name="",
    )

    services.confirm_batch(batch=batch, actor=hr)

    def all_sent() -> bool:
        return not Invitation.objects.filter(sent_at__isnull=True).exists()

    wait_for(all_sent, timeout=20)
    assert all(invitation.token_hash for invitation in Invitation.objects.all())
    assert Invitation.objects.count() == 2
