"""VietQR payloads: a payload published with its CRC, round trips through the parser, refusals."""

from decimal import Decimal

import pytest

from mamnon.calc import vietqr

# Published in subiz/vietqr's README (Go library, MIT): 120,000 đ to VietinBank (BIN 970415), account
# 0011001932418, description "ung ho lu lut"; the CRC C15C is theirs, not computed here.
PUBLISHED = ("00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
             "62170813ung ho lu lut6304C15C")


def test_builder_reproduces_the_published_payload():
    built = vietqr.build(bin="970415", account="0011001932418", amount=Decimal(120000), reference="ung ho lu lut")
    assert built == PUBLISHED


def test_crc_of_the_published_payload():
    assert vietqr.check_crc(PUBLISHED)
    assert vietqr.crc16_ccitt_false(PUBLISHED[:-4].encode()) == 0xC15C
    # The standard check value of CRC-16/CCITT-FALSE.
    assert vietqr.crc16_ccitt_false(b"123456789") == 0x29B1


def test_parse_the_published_payload():
    p = vietqr.parse(PUBLISHED)
    assert (p.bin, p.account, p.service, p.amount, p.currency, p.country, p.reference, p.dynamic) == (
        "970415", "0011001932418", "QRIBFTTA", Decimal(120000), "704", "VN", "ung ho lu lut", True)


def test_a_changed_character_fails_the_crc():
    tampered = PUBLISHED.replace("120000", "920000")
    assert not vietqr.check_crc(tampered)
    with pytest.raises(vietqr.VietQRError):
        vietqr.parse(tampered)


@pytest.mark.parametrize("amount,reference", [(1, "A"), (28000, "MN2403C17"), (9_999_999_999_999, "X" * 25),
                                              (None, ""), (Decimal("526000"), "HP 12")])
def test_round_trip(amount, reference):
    payload = vietqr.build(bin="970436", account="1234567890", amount=amount, reference=reference)
    p = vietqr.parse(payload)
    assert p.amount == (Decimal(amount) if amount is not None else None)
    assert p.reference == reference
    assert p.dynamic is (amount is not None)
    assert (p.bin, p.account) == ("970436", "1234567890")


@pytest.mark.parametrize("kwargs,field", [
    ({"bin": "97043"}, "bin"), ({"bin": "97043x"}, "bin"), ({"account": "12345"}, "account"),
    ({"account": "1234-5678"}, "account"), ({"account": "1" * 20}, "account"),
    ({"amount": 0}, "amount"), ({"amount": -5}, "amount"), ({"amount": Decimal("1000.5")}, "amount"),
    ({"amount": 28000.0}, "amount"), ({"amount": 10**13}, "amount"), ({"amount": "abc"}, "amount"),
    ({"reference": "Y" * 26}, "reference"), ({"reference": "tiền ăn"}, "reference"),
    ({"reference": "MN/01"}, "reference"), ({"reference": " MN1"}, "reference"),
])
def test_refusals(kwargs, field):
    args = {"bin": "970436", "account": "1234567890", "amount": 1000, "reference": "MN1"} | kwargs
    with pytest.raises(vietqr.VietQRError) as exc:
        vietqr.build(**args)
    assert exc.value.field == field


def test_malformed_payloads():
    for bad in ("", "0002", "000201" + "6304ABCD", "00020101021238" + "6304"):
        with pytest.raises(vietqr.VietQRError):
            vietqr.parse(bad)
