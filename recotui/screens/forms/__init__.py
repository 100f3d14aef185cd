"""Modal action forms of the case screen, one module each, loaded on first use.

Every form is a ModalScreen[bool] built as `Form(view: CaseView)`. It validates inline, keeps
what was typed on error, runs its store action, and dismisses with True only after the
action's transaction has committed (False or None when cancelled).
"""

from __future__ import annotations

import importlib

# action name → "module:Class"
FORMS: dict[str, str] = {
    "call": "call:CallOutcomeForm",
    "note": "note:NoteForm",
    "promise": "promise:PromiseForm",
    "plan": "plan:PlanForm",
    "payment": "payment:PaymentForm",
    "dispute": "dispute:DisputeForm",
    "callback": "callback:CallbackForm",
    "escalate": "escalate:EscalateForm",
    "close": "close:CloseForm",
    "dial": "dial:DialForm",
}


def load_form(name: str) -> type:
    module, _, cls = FORMS[name].partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)
