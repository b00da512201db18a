"""The storefront: catalogue with an availability hint from the online promise, cart, checkout
and the order page that follows the order from "received" to its promise and its changes."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from promiseplan.dataset.issues import DatasetError
from promiseplan.online import Request as Question
from promiseplan.service.promiser import PromiserGone, Worker
from promiseplan.store.edits import Edit, edit_table
from promiseplan.store.intake import IntakeError, NewLine, NewOrder, create_order, find_order
from promiseplan.store.tables import INPUT
from promiseplan.web.templating import templates

router = APIRouter(prefix="/shop", include_in_schema=False)
PAGE = 24
SMALL = 20_000
"""Up to this many order lines, the availability hints of a new run are worked out at once."""


def _cart(request: Request) -> dict[str, int]:
    cart: dict[str, int] = {}
    for item, quantity in parse_qsl(request.cookies.get("cart", "")):
        if quantity.isdigit() and int(quantity) > 0:
            cart[item] = int(quantity)
    return cart


def _with_cart(response: Response, cart: dict[str, int]) -> Response:
    response.set_cookie("cart", urlencode(cart), httponly=True, samesite="lax")
    return response


def _regions(connection: sa.Connection) -> list[str]:
    lanes = INPUT["delivery_lanes"]
    return list(
        connection.execute(sa.select(lanes.c.region).distinct().order_by(lanes.c.region)).scalars()
    )


def _asking(request: Request, region: str) -> tuple[str | None, Worker | None, dict[str, int]]:
    """Who stands for a visitor of ``region`` (its first customer), the online promiser (None
    until ready) and the cutoff hour of every location."""
    engine: sa.Engine = request.app.state.engine
    customers = INPUT["customers"]
    with engine.connect() as connection:
        customer = connection.execute(
            sa.select(customers.c.customer)
            .where(customers.c.region == region)
            .order_by(customers.c.id)
            .limit(1)
        ).scalar()
        lines = connection.execute(
            sa.select(sa.func.count()).select_from(INPUT["order_lines"])
        ).scalar_one()
        cutoffs = dict(
            connection.execute(
                sa.select(INPUT["locations"].c.location, INPUT["locations"].c.cutoff_hour)
            ).all()
        )
    promiser = request.app.state.promiser.current(wait=30.0 if lines <= SMALL else 0.0)
    return customer, promiser, cutoffs


def _hints(request: Request, items: list[str], region: str) -> dict[str, dict[str, str]]:
    """Per item: what one unit ordered now to ``region`` would be promised."""
    customer, promiser, cutoffs = _asking(request, region)
    if customer is None:
        return {i: {"status": "unconfirmed", "text": f"No delivery to {region}"} for i in items}
    if promiser is None:
        text = "Availability is being worked out: you get a date with the confirmation"
        return {i: {"status": "open", "text": text} for i in items}
    today = request.app.state.clock().date()
    hints = {}
    for item in items:
        try:
            answer = promiser.promise(Question(customer, ((item, 1),)))
        except ValueError:  # an item added since the last run
            hints[item] = {"status": "open", "text": "New: you get a date with the confirmation"}
            continue
        except PromiserGone:
            text = "Availability is being worked out: you get a date with the confirmation"
            hints[item] = {"status": "open", "text": text}
            continue
        line = answer.schedule[0]
        if line["status"] == "unconfirmed":
            hints[item] = {"status": "unconfirmed", "text": "Not available for now"}
            continue
        cutoff = cutoffs.get(line["ship_from"], 24)
        when = line["promised_date"].strftime("%A %d %B")
        if line["ship_date"] == today and cutoff < 24:
            text = f"Order before {cutoff:02d}:00 for delivery on {when}"
        else:
            text = f"Order now for delivery on {when}"
        hints[item] = {"status": line["status"], "text": text}
    return hints


def _estimate(request: Request, cart: dict[str, int], region: str) -> dict[str, Any] | None:
    """What the whole cart, delivered together to ``region``, would be promised now."""
    customer, promiser, _ = _asking(request, region)
    if customer is None or promiser is None or not cart:
        return None
    try:
        answer = promiser.promise(Question(customer, tuple(sorted(cart.items()))))
    except (ValueError, PromiserGone):
        return None
    return {"status": answer.status, "date": answer.promised_date}


@router.get("", response_class=HTMLResponse)
def catalogue(request: Request, region: str | None = None, page: int = 1) -> Response:
    engine: sa.Engine = request.app.state.engine
    items = INPUT["items"]
    with engine.connect() as connection:
        regions = _regions(connection)
        products_query = sa.select(items.c.item, items.c.name).where(items.c.kind == "product")
        total = connection.execute(
            sa.select(sa.func.count()).select_from(products_query.subquery())
        ).scalar_one()
        page = max(1, page)
        products = connection.execute(
            products_query.order_by(items.c.id).limit(PAGE).offset((page - 1) * PAGE)
        ).all()
    chosen = region or request.cookies.get("region") or (regions[0] if regions else "")
    hints = _hints(request, [p.item for p in products], chosen) if chosen else {}
    response = templates.TemplateResponse(
        request,
        "shop/catalogue.html",
        {
            "products": products,
            "hints": hints,
            "regions": regions,
            "region": chosen,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "cart": _cart(request),
            "active": "catalogue",
        },
    )
    if region:
        response.set_cookie("region", region, samesite="lax")
    return response


@router.post("/cart", response_class=HTMLResponse)
def add_to_cart(
    request: Request, item: Annotated[str, Form()], quantity: Annotated[int, Form(ge=0)] = 1
) -> Response:
    """Adds (or, with quantity 0 from the cart page, removes) an item; answers the cart badge."""
    cart = _cart(request)
    if request.headers.get("HX-Target") == "cart-badge":
        cart[item] = cart.get(item, 0) + quantity
    elif quantity:
        cart[item] = quantity
    else:
        cart.pop(item, None)
    if request.headers.get("HX-Request"):
        badge = templates.TemplateResponse(request, "shop/badge.html", {"cart": cart})
        return _with_cart(badge, cart)
    return _with_cart(RedirectResponse("/shop/cart", status_code=303), cart)


@router.get("/cart", response_class=HTMLResponse)
def cart_page(request: Request, error: str | None = None) -> Response:
    engine: sa.Engine = request.app.state.engine
    items, lanes = INPUT["items"], INPUT["delivery_lanes"]
    cart = _cart(request)
    with engine.connect() as connection:
        names = dict(
            connection.execute(
                sa.select(items.c.item, items.c.name).where(items.c.item.in_(list(cart)))
            ).all()
        )
        regions = _regions(connection)
        modes = list(
            connection.execute(sa.select(lanes.c.mode).distinct().order_by(lanes.c.mode)).scalars()
        )
    region = request.cookies.get("region") or (regions[0] if regions else "")
    return templates.TemplateResponse(
        request,
        "shop/cart.html",
        {
            "cart": cart,
            "names": names,
            "regions": regions,
            "region": region,
            "modes": modes,
            "token": secrets.token_urlsafe(12),
            "estimate": _estimate(request, cart, region),
            "error": error,
            "active": "cart",
        },
    )


@router.post("/checkout")
def checkout(
    request: Request,
    customer: Annotated[str, Form(min_length=1, max_length=64)],
    region: Annotated[str, Form()],
    token: Annotated[str, Form()],
    requested_date: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "",
    ship_complete: Annotated[bool, Form()] = False,
) -> Response:
    engine: sa.Engine = request.app.state.engine
    cart = _cart(request)
    if not cart:
        return RedirectResponse("/shop/cart?error=Your+cart+is+empty", status_code=303)
    customer = customer.strip()
    try:
        _ensure_customer(engine, customer, region)
        wanted = date.fromisoformat(requested_date) if requested_date else None
        order, _ = create_order(
            engine,
            NewOrder(
                order="WEB-" + secrets.token_hex(4).upper(),
                customer=customer,
                lines=tuple(
                    NewLine(str(i), item, quantity)
                    for i, (item, quantity) in enumerate(sorted(cart.items()), start=1)
                ),
                requested_date=wanted,
                ship_complete=ship_complete,
                modes=mode,
            ),
            request.app.state.clock().replace(second=0, microsecond=0),
            f"shop-{token}",
        )
    except (IntakeError, DatasetError, ValueError) as error:
        message = urlencode({"error": str(error).splitlines()[0]})
        return RedirectResponse(f"/shop/cart?{message}", status_code=303)
    return _with_cart(RedirectResponse(f"/shop/orders/{order}", status_code=303), {})


def _ensure_customer(engine: sa.Engine, customer: str, region: str) -> None:
    """A customer new to the shop is created in the region it chose."""
    customers = INPUT["customers"]
    with engine.connect() as connection:
        known = connection.execute(
            sa.select(customers.c.id).where(customers.c.customer == customer)
        ).first()
    if known is None:
        row = {"customer": customer, "region": region, "channel": "web"}
        edit_table(engine, "customers", Edit(upsert=[row]))


def _order_view(request: Request, order: str) -> dict[str, Any]:
    found = find_order(request.app.state.engine, order)
    if found is None:
        raise HTTPException(404, detail="no such order")
    cadence = request.app.state.cadence
    next_run = None if cadence is None else cadence.next_run
    return {"order": found, "next_run": next_run, "cart": _cart(request), "active": ""}


@router.get("/orders/{order}", response_class=HTMLResponse)
def order_page(request: Request, order: str) -> Response:
    return templates.TemplateResponse(request, "shop/order.html", _order_view(request, order))


@router.get("/orders/{order}/status", response_class=HTMLResponse)
def order_status(request: Request, order: str) -> Response:
    """The part of the order page that follows the promise (polled by htmx)."""
    return templates.TemplateResponse(request, "shop/status.html", _order_view(request, order))
