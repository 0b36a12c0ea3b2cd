"""Demo: a researcher of 太原理工大学 (a member, researcher@demo.ipx.cn) whose listing waits for the
university administrator's approval, so that the approval step can be seen."""

from __future__ import annotations

import sqlalchemy as sa

from ..models import Listing, Organisation, Patent, Role, User, listing_patents

EMAIL = "researcher@demo.ipx.cn"


def seed_approval(session, password_hash: str) -> int:
    """Add the researcher and submit one listing of an unlisted patent; returns listings submitted."""
    from ..services import listings as listing_service

    university = session.scalar(sa.select(Organisation).where(Organisation.name == "太原理工大学"))
    if university is None or session.scalar(sa.select(User).where(User.email == EMAIL)):
        return 0
    researcher = User(email=EMAIL, name="王晓东", role=Role.MEMBER, org=university, password_hash=password_hash,
                      title="材料科学与工程学院 副教授")
    session.add(researcher)
    session.flush()
    listed = sa.select(listing_patents.c.patent_id)
    patent = session.scalar(sa.select(Patent).where(Patent.owner_org_id == university.id, Patent.id.not_in(listed),
                                                    Patent.legal_status == "granted").order_by(Patent.id))
    if patent is None:
        return 0
    listing_service.create_listing(researcher, listing_service.ListingData(
        title="", patent_ids=[patent.id], deal_kinds=["transfer", "ordinary"], trl=5,
        industry=patent.industry.value if patent.industry else "carbon_materials", price_fen=None,
        region=university.region, description="课题组成果，欢迎洽谈转让或普通许可。"), publish=True)
    return session.scalar(sa.select(sa.func.count(Listing.id)).where(Listing.submitted_at.is_not(None)))
