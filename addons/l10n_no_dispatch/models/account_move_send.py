from odoo import api, models

METHOD = "l10n_no_dispatch"


class AccountMoveSend(models.AbstractModel):
    """The customer's channel (EHF, Digipost, e-mail, print) as a sending method of Send & Print.

    With it, Send & Print makes the PDF as usual and then queues the invoice in the dispatch queue
    (``_hook_if_success``); the cron sends it by the channel shown in the wizard. The alert lists each
    invoice's channel and why.
    """

    _inherit = "account.move.send"

    @api.model
    def _get_default_sending_methods(self, move):
        # EXTENDS account: a customer with a preferred dispatch channel goes through the dispatch queue
        methods = set(super()._get_default_sending_methods(move))
        if move.partner_id.l10n_no_dispatch_channel or move.commercial_partner_id.l10n_no_dispatch_channel:
            methods = {METHOD}
        return methods

    @api.model
    def _is_applicable_to_move(self, method, move, **move_data):
        # EXTENDS account
        if method == METHOD:
            return move.is_sale_document() and move.state == "posted"
        return super()._is_applicable_to_move(method, move, **move_data)

    def _get_alerts(self, moves, moves_data):
        # EXTENDS account: the channel each invoice will take, and why
        alerts = super()._get_alerts(moves, moves_data)
        dispatch_moves = moves.filtered(lambda m: METHOD in (moves_data[m].get("sending_methods") or ()))
        if not dispatch_moves:
            return alerts
        lines = [f"{move.name}: {move.l10n_no_dispatch_channel_info}" for move in dispatch_moves[:50]]
        if len(dispatch_moves) > 50:
            lines.append(self.env._("… and %(count)s more", count=len(dispatch_moves) - 50))
        alerts["l10n_no_dispatch_channels"] = {
            "level": "info",
            "message": self.env._("Sent through the dispatch queue: %(list)s", list="; ".join(lines)),
        }
        return alerts

    @api.model
    def _hook_if_success(self, moves_data, from_cron=False):
        # EXTENDS account: queue the invoices for their channel (the moves here are sudo: check the caller)
        to_queue = self.env["account.move"]
        for move, move_data in moves_data.items():
            if METHOD in (move_data.get("sending_methods") or ()):
                to_queue |= move
                # one document, one route: the dispatch queue decides (EHF, Digipost, e-mail or print)
                move_data["sending_methods"] = [m for m in move_data["sending_methods"] if m not in ("email", "l10n_no_ehf")]
                move_data.pop("l10n_no_ehf_xml", None)
        if to_queue:
            to_queue.with_env(self.env)._l10n_no_dispatch_enqueue()
        return super()._hook_if_success(moves_data, from_cron=from_cron)
