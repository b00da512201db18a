"""End to end in chromium: an order placed in the storefront, the planner run from the
cockpit, the promise seen in the storefront and the order in the cockpit; the plans, charts,
Excel export and data upload; phone and keyboard use. Screenshots land in
test-artifacts/screenshots."""

from __future__ import annotations

import io
import re
import zipfile

from playwright.sync_api import Browser, FilePayload, Page, expect

from promiseplan.dataset.schema import REASON_CODES
from promiseplan.examples import example_dataset
from tests.browser.conftest import Shop, no_sideways_scroll, screenshot


def _log_in(page: Page, shop: Shop) -> None:
    page.goto(f"{shop.base}/cockpit")
    expect(page).to_have_url(re.compile(r"/cockpit/login$"))
    page.get_by_label("Planner API key").fill(shop.planner_key)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Planning runs")).to_be_visible()
    page.wait_for_load_state("load")  # htmx starts once every deferred script ran


def test_an_order_from_the_shop_is_planned_in_the_cockpit_and_promised(
    page: Page, shop: Shop
) -> None:
    page.goto(f"{shop.base}/shop")
    page.wait_for_load_state("load")
    first = page.locator("article.card").first
    expect(first.locator(".hint")).to_contain_text("for delivery on")
    screenshot(page, "shop-catalogue")
    item = first.get_attribute("data-item")
    first.get_by_label("Quantity").fill("3")
    first.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#cart-badge")).to_have_text("3")

    page.get_by_role("link", name=re.compile("^Cart")).click()
    expect(page.get_by_role("cell", name=re.compile(f"^.* {item}$")).first).to_be_visible()
    expect(page.locator("#estimate")).to_contain_text("Ordered now and delivered together")
    page.get_by_label("Customer number").fill("NEWSHOPPER")
    page.get_by_label("Delivery region").select_option(index=0)
    screenshot(page, "shop-cart")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator("#received")).to_contain_text("confirmation at the next planning run")
    order_url = page.url
    order = order_url.rsplit("/", 1)[1]
    screenshot(page, "shop-order-received")

    _log_in(page, shop)
    page.get_by_role("button", name="Run now").click()
    expect(page.locator("#progress")).to_contain_text("done", timeout=120_000)
    page.get_by_role("link", name="Show the results").click()
    expect(page.locator("#trend-orders .main-svg").first).to_be_visible()
    screenshot(page, "cockpit-runs")

    page.goto(order_url)
    expect(page.locator("#confirmed")).to_be_visible()
    expect(page.locator("#promised-date")).to_have_text(re.compile(r"2026"))
    screenshot(page, "shop-order-promised")
    reasons = page.locator("#promise tbody td:last-child")
    expect(reasons.first).to_have_text(re.compile(f"^({'|'.join(REASON_CODES)}): "))

    page.goto(f"{shop.base}/cockpit/orders")
    page.get_by_label("Customer").fill("NEWSHOPPER")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#orders")).to_contain_text("1 order(s)")
    page.get_by_role("link", name=order).click()
    expect(page.get_by_role("heading", name=f"Order {order}")).to_be_visible()
    expect(page.get_by_role("heading", name="Promise history")).to_be_visible()
    screenshot(page, "cockpit-order")


def test_orders_filter_sort_and_page(page: Page, shop: Shop) -> None:
    _log_in(page, shop)
    page.goto(f"{shop.base}/cockpit/orders")
    total = int(page.locator("#orders p.muted").inner_text().split()[0].replace(",", ""))
    assert total > 50
    page.get_by_label("Status").select_option("late")
    expect(page).to_have_url(re.compile(r"status=late"))  # pushed once the table is swapped
    late = page.locator("#orders tbody td.status")
    expect(late.first).to_have_text("late")
    assert set(late.all_inner_texts()) == {"late"}
    page.get_by_label("Status").select_option("")
    page.get_by_label("Sort by").select_option("promised_date")
    expect(page).to_have_url(re.compile(r"sort=promised_date"))
    page.get_by_role("link", name="Next").click()
    expect(page.locator("#orders .pager")).to_contain_text("Page 2")
    screenshot(page, "cockpit-orders")


def test_plans_export_charts_and_upload(page: Page, shop: Shop, tmp_path: object) -> None:
    _log_in(page, shop)
    page.get_by_role("link", name="Procurement").click()
    expect(page.get_by_role("heading", name="Procurement plan")).to_be_visible()
    expect(page.locator("tbody tr").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel").click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"PK")
    screenshot(page, "cockpit-procurement")

    page.get_by_role("link", name="Charts").click()
    for chart in ("#chart-inventory", "#chart-load", "#chart-gantt"):
        expect(page.locator(f"{chart} .main-svg").first).to_be_visible()
    screenshot(page, "cockpit-charts")

    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for path in sorted(example_dataset().iterdir()):
            text = path.read_text()
            if path.name == "inventory.csv":
                text = text.replace("\n", "\nNOPE,WH_N,abc\n", 1)
            archive.writestr(path.name, text)
    page.get_by_role("link", name="Data").click()
    upload: FilePayload = {
        "name": "shop.zip",
        "mimeType": "application/zip",
        "buffer": broken.getvalue(),
    }
    page.get_by_label("A .zip of the table files").set_input_files(files=upload)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#refused")).to_contain_text("Nothing was changed")
    rows = page.locator("#issues tbody tr")
    expect(rows.filter(has_text="on_hand")).to_contain_text("inventory.csv")
    expect(rows.filter(has_text="unknown item 'NOPE'")).to_have_count(1)
    screenshot(page, "cockpit-upload-refused")


def test_the_shop_on_a_phone_and_by_keyboard(browser: Browser, shop: Shop) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{shop.base}/shop")
    expect(phone.locator("article.card").first).to_be_visible()
    assert no_sideways_scroll(phone)
    screenshot(phone, "shop-phone")
    quantity = phone.locator("article.card").first.get_by_label("Quantity")
    quantity.focus()
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    expect(phone.locator("#cart-badge")).to_have_text("1")
    context.close()


def test_the_cockpit_fits_a_laptop_screen(page: Page, shop: Shop) -> None:
    _log_in(page, shop)
    for path in ("/cockpit", "/cockpit/orders", "/cockpit/plans/distribution_plan"):
        page.goto(f"{shop.base}{path}")
        assert no_sideways_scroll(page), path
