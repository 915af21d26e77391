"""The notification of the issue's and io.Connect's examples, shared by the tests."""

SEED_TRADE = {
    "title": "New Trade",
    "body": "VOD.L: 23 shares sold @ $212.03",
    "severity": "High",
    "clickInterop": {"method": "HandleNotificationClick", "arguments": {"id": "1"}},
    "actions": [
        {
            "action": "callClient",
            "title": "Call Client",
            "interop": {"method": "CallClient", "arguments": {"name": "Vernon Mullen"}},
        },
        {
            "action": "openClientPortfolio",
            "title": "Open Portfolio",
            "interop": {"method": "OpenPortfolio", "arguments": {"id": "1"}},
        },
    ],
}
