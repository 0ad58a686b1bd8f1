"""VietQR payloads: the NAPAS 247 profile of the EMVCo merchant-presented QR code (no Django).

A payload is a string of ID-length-value fields (two-digit ID, two-digit length, value):

- ``00`` payload format indicator ``01``; ``01`` point of initiation: ``11`` static, ``12`` dynamic (with an
  amount, for one payment);
- ``38`` merchant account information: ``00`` the NAPAS GUID ``A000000727``; ``01`` the beneficiary
  organisation (``00`` the bank's 6-digit BIN, ``01`` the account number); ``02`` the service code
  ``QRIBFTTA`` (inter-bank fund transfer 24/7 to an account);
- ``53`` currency ``704`` (VND, ISO 4217); ``54`` amount; ``58`` country ``VN``;
- ``62`` additional data: ``08`` the purpose of the transaction, which banking apps put in the transfer's
  description: here the statement reference, which the bank-statement import matches;
- ``63`` CRC: CRC-16/CCITT-FALSE (poly 0x1021, initial 0xFFFF, no reflection, no final XOR) over the whole
  payload including ``6304``, as four upper-case hex digits.

The layout is checked against a payload published with its CRC (subiz/vietqr's README: 120,000 đ to
VietinBank 970415 account 0011001932418, "ung ho lu lut", CRC C15C) in tests/calc/test_vietqr.py.

The builder refuses what would give an invalid payload or a transfer that could not be matched: a BIN
that is not 6 digits, an account that is not 6-19 digits/letters, an amount that is not a positive whole
number of đồng within 13 characters, a reference that is empty, longer than 25 characters or not plain
ASCII letters and digits (banking apps drop accents and some punctuation from descriptions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
MAX_AMOUNT_CHARS = 13  # EMVCo ID 54: up to 13 characters
MAX_REFERENCE = 25  # EMVCo ID 62 sub-fields: up to 25 characters

BIN_RE = re.compile(r"^\d{6}$")
ACCOUNT_RE = re.compile(r"^[0-9A-Za-z]{6,19}$")
REFERENCE_RE = re.compile(r"^[0-9A-Za-z ]+$")


class VietQRError(ValueError):
    """Input that would give an invalid payload. ``field`` names it: bin, account, amount, reference, payload."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError("payload", f"field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _check_amount(amount) -> str | None:
    if amount is None:
        return None
    if isinstance(amount, float):
        raise VietQRError("amount", "amount must be a Decimal or an int, never a float")
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise VietQRError("amount", "amount is not a number") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise VietQRError("amount", "amount must be a whole number of đồng")
    if value <= 0:
        raise VietQRError("amount", "amount must be positive")
    text = str(int(value))
    if len(text) > MAX_AMOUNT_CHARS:
        raise VietQRError("amount", "amount too large for a VietQR code")
    return text


def build(*, bin: str, account: str, amount=None, reference: str = "") -> str:
    """The payload for a transfer to ``account`` at the bank ``bin``, with ``amount`` (dynamic) or without."""
    if not isinstance(bin, str) or not BIN_RE.match(bin):
        raise VietQRError("bin", "the bank BIN must be 6 digits")
    if not isinstance(account, str) or not ACCOUNT_RE.match(account):
        raise VietQRError("account", "the account number must be 6 to 19 letters or digits")
    amount_text = _check_amount(amount)
    if reference:
        if len(reference) > MAX_REFERENCE:
            raise VietQRError("reference", "the reference is longer than 25 characters")
        if not REFERENCE_RE.match(reference) or reference.strip() != reference:
            raise VietQRError("reference", "the reference may hold only ASCII letters, digits and inner spaces")
    beneficiary = tlv("00", bin) + tlv("01", account)
    merchant = tlv("00", GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    body = tlv("00", "01") + tlv("01", "12" if amount_text else "11") + tlv("38", merchant) + tlv("53", CURRENCY_VND)
    if amount_text:
        body += tlv("54", amount_text)
    body += tlv("58", COUNTRY_VN)
    if reference:
        body += tlv("62", tlv("08", reference))
    body += "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


# --- parsing ------------------------------------------------------------------------------------------


def parse_tlv(text: str) -> list[tuple[str, str]]:
    """The (tag, value) fields of an ID-length-value string; raises VietQRError when it is malformed."""
    out, i = [], 0
    while i < len(text):
        head = text[i:i + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQRError("payload", f"malformed field header at position {i}")
        tag, length = head[:2], int(head[2:])
        value = text[i + 4:i + 4 + length]
        if len(value) != length:
            raise VietQRError("payload", f"field {tag} is truncated")
        out.append((tag, value))
        i += 4 + length
    return out


@dataclass(frozen=True)
class Payload:
    bin: str
    account: str
    service: str
    amount: Decimal | None
    currency: str
    country: str
    reference: str
    dynamic: bool


def check_crc(payload: str) -> bool:
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    return f"{crc16_ccitt_false(payload[:-4].encode('utf-8')):04X}" == payload[-4:].upper()


def parse(payload: str) -> Payload:
    """Read a VietQR payload back; raises VietQRError when its CRC or structure is wrong."""
    if not check_crc(payload):
        raise VietQRError("payload", "CRC mismatch")
    fields = dict(parse_tlv(payload[:-4] + "0000"))
    if fields.get("00") != "01":
        raise VietQRError("payload", "payload format indicator is not 01")
    merchant = dict(parse_tlv(fields.get("38", "")))
    if merchant.get("00") != GUID:
        raise VietQRError("payload", "not a NAPAS (VietQR) merchant account")
    beneficiary = dict(parse_tlv(merchant.get("01", "")))
    extra = dict(parse_tlv(fields.get("62", "")))
    amount = Decimal(fields["54"]) if "54" in fields else None
    return Payload(
        bin=beneficiary.get("00", ""), account=beneficiary.get("01", ""), service=merchant.get("02", ""),
        amount=amount, currency=fields.get("53", ""), country=fields.get("58", ""),
        reference=extra.get("08", ""), dynamic=fields.get("01") == "12",
    )
