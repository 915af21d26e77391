from dash import Dash, html, Input, Output
import dash_notify
from tests.browser.helpers import wait_for_shown


def test_raise(dash_duo):
    app = Dash(__name__)
    app.layout = html.Div([dash_notify.Notifications(id="n"), html.Button("go", id="go"), html.Div(id="perm")])
    @app.callback(Output("n", "raise"), Input("go", "n_clicks"), prevent_initial_call=True)
    def r(_):
        return {"title": "Hello", "body": "World", "actions": [{"action": "a1", "title": "One"}]}
    @app.callback(Output("perm", "children"), Input("n", "permission"))
    def p(x):
        return x
    dash_duo.start_server(app)
    dash_duo.wait_for_text_to_equal("#perm", "granted")
    dash_duo.find_element("#go").click()
    shown = wait_for_shown(dash_duo.driver, 1)
    print(shown)
    assert shown[0]["title"] == "Hello"
    print(dash_duo.get_logs())
