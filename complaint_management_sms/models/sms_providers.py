"""Iranian SMS gateways, spoken in their own protocols.

Each provider is one small class: how to send a batch, how to read delivery
statuses, which answers mean what. The transport is ``http.client`` on purpose:
Kavenegar puts the API key in the URL path, and neither this module nor the
HTTP library under it may ever log a URL or put one in an error message.
"""

import http.client
import json
import ssl
from urllib.parse import urlencode, urlsplit

import phonenumbers

# What became of one message handed to a gateway.
ACCEPTED = "accepted"  # the gateway took it: (ACCEPTED, message_id)
FAILED = "failed"  # final: (FAILED, failure_type, reason)
RETRY = "retry"  # not taken, safe to try again later: (RETRY, reason)

# Delivery outcomes, mapped onto sms.sms by the model.
DELIVERED = "delivered"
UNDELIVERED = "undelivered"
REJECTED = "rejected"
PENDING = "pending"

NOT_RESENT = (
    "not resent automatically, it may have gone out (check the provider's panel, "
    "then resend if needed)"
)


class TransportError(Exception):
    """The request did not get an answer.

    ``sent`` tells whether the request may have reached the gateway (a read
    timeout) or certainly did not (connection refused, connect timeout)."""

    def __init__(self, reason, sent):
        super().__init__(reason)
        self.reason = reason
        self.sent = sent


def iran_number(number):
    """The number as a national Iranian mobile (09121234567), or ``None`` when
    it is not a valid mobile number. Persian and Arabic-Indic digits are read."""
    try:
        parsed = phonenumbers.parse(number or "", "IR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    if phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    if parsed.country_code != 98:
        return None
    return "0" + str(parsed.national_number)


UNREADABLE = TransportError("unreadable answer from the gateway", sent=True)


class SmsProvider:
    """Base of the providers. ``send`` and ``statuses`` never raise for an
    answer of the gateway; they describe it."""

    code = None
    label = None
    default_url = None
    max_recipients = 100
    # Whether the gateway recognises a message sent twice with the same client
    # id (so a retry after a lost answer cannot duplicate it).
    idempotent = False
    # Whether the gateway calls us back with delivery statuses.
    callbacks = False

    def __init__(self, base_url, api_key, sender, timeout=10.0):
        self.base_url = (base_url or self.default_url).rstrip("/")
        self.api_key = api_key or ""
        self.sender = sender or ""
        self.timeout = timeout or 10.0

    # ---------------------------------------------------------- transport
    def _request(self, method, path, body=None, headers=None):
        """(HTTP status, decoded JSON or None). Raises TransportError."""
        url = urlsplit(self.base_url)
        connection_class = (
            http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        )
        kwargs = {"timeout": self.timeout}
        if url.scheme == "https":
            kwargs["context"] = ssl.create_default_context()
        connection = connection_class(url.hostname, url.port, **kwargs)
        try:
            try:
                connection.connect()
            except (TimeoutError, OSError) as error:
                raise TransportError(
                    f"cannot connect to the gateway ({type(error).__name__})", sent=False
                ) from None
            try:
                connection.request(method, url.path + path, body=body, headers=headers or {})
                response = connection.getresponse()
                raw = response.read()
            except (TimeoutError, OSError, http.client.HTTPException) as error:
                raise TransportError(
                    f"no answer from the gateway ({type(error).__name__})", sent=True
                ) from None
        finally:
            connection.close()
        try:
            data = json.loads(raw.decode() or "null")
        except ValueError:
            data = None
        return response.status, data

    # ----------------------------------------------------------- protocol
    def send(self, text, recipients):
        """Send ``text`` to ``recipients``, a list of (client id, national number).

        :return: {client id: outcome tuple}
        """
        raise NotImplementedError

    def statuses(self, message_ids):
        """{message id: DELIVERED | UNDELIVERED | REJECTED | PENDING}"""
        raise NotImplementedError

    def parse_callback(self, params):
        """{message id: outcome} from a delivery callback's parameters."""
        return {}

    def _all(self, recipients, outcome):
        return {client_id: outcome for client_id, _number in recipients}

    def _unanswered(self, recipients, error):
        """Outcome of a send that got no answer. Retried when the request never
        left, or when the gateway recognises a resend; otherwise it may have gone
        out, and sending it again could duplicate it."""
        if self.idempotent or not error.sent:
            return self._all(recipients, (RETRY, error.reason))
        return self._all(recipients, (FAILED, "sms_server", f"{error.reason}; {NOT_RESENT}"))


class Kavenegar(SmsProvider):
    """https://kavenegar.com/rest.html: POST form to /v1/{key}/sms/send.json;
    ``localid`` makes a resend return the first send instead of sending again."""

    code = "kavenegar"
    label = "Kavenegar"
    default_url = "https://api.kavenegar.com"
    max_recipients = 200
    idempotent = True
    callbacks = True

    FAILURES = {
        418: ("sms_credit", "insufficient credit"),
        411: ("sms_number_format", "invalid receptor"),
        412: ("sms_acc", "invalid sender line"),
        401: ("sms_acc", "account disabled"),
        403: ("sms_acc", "invalid API key"),
        407: ("sms_acc", "access denied"),
        416: ("sms_acc", "this server's IP address is not allowed in the Kavenegar panel"),
        501: ("sms_acc", "trial account: only the owner's number"),
        413: ("unknown", "message empty or too long"),
        420: ("unknown", "links are not allowed in the text"),
        422: ("unknown", "invalid character in the text"),
    }
    TRANSIENT = {409, 429, 451}
    DELIVERY = {
        10: DELIVERED,
        11: UNDELIVERED,
        6: UNDELIVERED,
        13: REJECTED,
        14: REJECTED,
        100: UNDELIVERED,
    }

    def _path(self, method):
        return f"/v1/{self.api_key}/sms/{method}.json"

    def _call(self, method, params):
        body = urlencode(params)
        return self._request(
            "POST",
            self._path(method),
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
        )

    def _answer_status(self, http_status, data):
        ret = (data or {}).get("return") if isinstance(data, dict) else None
        if isinstance(ret, dict) and isinstance(ret.get("status"), int):
            return ret["status"]
        return http_status

    def send(self, text, recipients):
        params = {
            "receptor": ",".join(number for _cid, number in recipients),
            "message": text,
            "localid": ",".join(str(cid) for cid, _number in recipients),
        }
        if self.sender:
            params["sender"] = self.sender
        try:
            http_status, data = self._call("send", params)
        except TransportError as error:
            # A lost answer is safe to retry: the same localid is not sent twice.
            return self._unanswered(recipients, error)
        if not isinstance(data, dict):
            return self._unanswered(recipients, UNREADABLE)
        status = self._answer_status(http_status, data)
        if status == 200:
            entries = data.get("entries") or []
            outcomes = {}
            for index, (client_id, _number) in enumerate(recipients):
                entry = entries[index] if index < len(entries) else None
                if entry and entry.get("messageid"):
                    outcomes[client_id] = (ACCEPTED, str(entry["messageid"]))
                else:
                    outcomes[client_id] = (FAILED, "unknown", "no entry in the gateway's answer")
            return outcomes
        if status in self.FAILURES:
            failure_type, reason = self.FAILURES[status]
            return self._all(recipients, (FAILED, failure_type, f"Kavenegar {status}: {reason}"))
        if http_status >= 500 or status in self.TRANSIENT:
            return self._all(recipients, (RETRY, f"Kavenegar {status}: try again later"))
        return self._all(recipients, (FAILED, "unknown", f"Kavenegar {status}: refused"))

    def statuses(self, message_ids):
        result = {}
        for start in range(0, len(message_ids), 500):
            chunk = message_ids[start : start + 500]
            try:
                http_status, data = self._call("status", {"messageid": ",".join(chunk)})
            except TransportError:
                continue
            if self._answer_status(http_status, data) != 200:
                continue
            for entry in data.get("entries") or []:
                result[str(entry.get("messageid"))] = self.DELIVERY.get(
                    entry.get("status"), PENDING
                )
        return result

    def parse_callback(self, params):
        message_id, status = params.get("messageid"), params.get("status")
        try:
            status = int(status)
        except (TypeError, ValueError):
            return {}
        return {str(message_id): self.DELIVERY.get(status, PENDING)} if message_id else {}


class SmsIr(SmsProvider):
    """https://api.sms.ir/v1: JSON with the X-API-KEY header; no client id, so
    a send whose answer was lost is not repeated (it may have gone out)."""

    code = "smsir"
    label = "SMS.ir"
    default_url = "https://api.sms.ir"
    max_recipients = 100
    idempotent = False
    callbacks = False

    FAILURES = {
        102: ("sms_credit", "insufficient credit"),
        104: ("sms_number_format", "invalid mobile number"),
        10: ("sms_acc", "invalid API key"),
        11: ("sms_acc", "API key disabled"),
        12: ("sms_acc", "this server's IP address is not allowed for the API key"),
        13: ("sms_acc", "account inactive"),
        14: ("sms_acc", "account suspended"),
        101: ("sms_acc", "invalid line number"),
        103: ("unknown", "empty message"),
    }
    TRANSIENT = {0, 20}
    DELIVERY = {1: DELIVERED, 2: UNDELIVERED, 4: UNDELIVERED, 6: UNDELIVERED, 7: REJECTED}

    def _headers(self):
        return {
            "X-API-KEY": self.api_key,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }

    def send(self, text, recipients):
        try:
            line = int(self.sender)
        except ValueError:
            return self._all(
                recipients, (FAILED, "sms_acc", "SMS.ir: the line number is not numeric")
            )
        body = json.dumps(
            {
                "lineNumber": line,
                "messageText": text,
                "mobiles": [number for _cid, number in recipients],
            }
        )
        try:
            http_status, data = self._request(
                "POST", "/v1/send/bulk", body=body.encode(), headers=self._headers()
            )
        except TransportError as error:
            return self._unanswered(recipients, error)
        if not isinstance(data, dict):
            return self._unanswered(recipients, UNREADABLE)
        status = data.get("status")
        if http_status == 200 and status == 1:
            ids = (data.get("data") or {}).get("messageIds") or []
            outcomes = {}
            for index, (client_id, _number) in enumerate(recipients):
                message_id = ids[index] if index < len(ids) else None
                if message_id:
                    outcomes[client_id] = (ACCEPTED, str(message_id))
                elif message_id == 0:
                    outcomes[client_id] = (FAILED, "sms_blacklist", "SMS.ir: blacklisted number")
                else:
                    outcomes[client_id] = (FAILED, "sms_number_format", "SMS.ir: invalid number")
            return outcomes
        if http_status >= 500:
            # A server error may come after the messages went out.
            return self._unanswered(
                recipients, TransportError(f"SMS.ir answered HTTP {http_status}", sent=True)
            )
        if http_status == 429 or status in self.TRANSIENT:
            return self._all(
                recipients, (RETRY, f"SMS.ir {status or http_status}: try again later")
            )
        failure_type, reason = self.FAILURES.get(status, ("unknown", "refused"))
        return self._all(
            recipients, (FAILED, failure_type, f"SMS.ir {status or http_status}: {reason}")
        )

    def statuses(self, message_ids):
        result = {}
        for message_id in message_ids:
            try:
                http_status, data = self._request(
                    "GET", f"/v1/send/{int(message_id)}", headers=self._headers()
                )
            except (TransportError, ValueError):
                continue
            if http_status != 200 or not isinstance(data, dict) or data.get("status") != 1:
                continue
            state = (data.get("data") or {}).get("deliveryState")
            result[str(message_id)] = self.DELIVERY.get(state, PENDING)
        return result


PROVIDERS = {provider.code: provider for provider in (Kavenegar, SmsIr)}
