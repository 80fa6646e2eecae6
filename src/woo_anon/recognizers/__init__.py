"""Dutch recognisers for presidio, one class per kind of structured personal data."""

from woo_anon.recognizers.address import AddressRecognizer
from woo_anon.recognizers.contact import NlEmailRecognizer as EmailRecognizer
from woo_anon.recognizers.contact import NlIpRecognizer as IpRecognizer
from woo_anon.recognizers.contact import NlPhoneRecognizer as PhoneRecognizer
from woo_anon.recognizers.dates import DateOfBirthRecognizer
from woo_anon.recognizers.finance import NlIbanRecognizer as IbanRecognizer
from woo_anon.recognizers.finance import credit_card_recognizer
from woo_anon.recognizers.identifiers import (
    BsnRecognizer,
    BtwRecognizer,
    DrivingLicenceRecognizer,
    IdDocumentRecognizer,
    KvkRecognizer,
    MrzRecognizer,
    RsinRecognizer,
)
from woo_anon.recognizers.plate import LicencePlateRecognizer


def pattern_recognizers(language: str = "nl") -> list:
    """Every structured-data recogniser, configured for Dutch."""
    return [
        BsnRecognizer(language), RsinRecognizer(language), IdDocumentRecognizer(language),
        MrzRecognizer(language), DrivingLicenceRecognizer(language), KvkRecognizer(language),
        BtwRecognizer(language), IbanRecognizer(language), credit_card_recognizer(language),
        PhoneRecognizer(language), EmailRecognizer(language), IpRecognizer(language),
        AddressRecognizer(language), LicencePlateRecognizer(language),
        DateOfBirthRecognizer(language),
    ]
