"""The dispatch job's side of dunning letters (what the queue tells the letter, in-house print).

Kept apart from the job model so the letters' rules (dunning law: a letter counts from the day it went
out) stay in one place with :mod:`.l10n_no_dunning_letter`.
"""

from odoo import models


class L10nNoDispatchJob(models.Model):
    _inherit = "l10n_no_dispatch.job"

    def _l10n_no_dispatch_mark(self, state, reference, note=""):
        """EXTENDS the core: a letter taken by its channel is delivered (e-mail: when the server accepts it)."""
        result = super()._l10n_no_dispatch_mark(state, reference, note=note)
        if self.letter_id and state in ("sent", "delivered", "printed"):
            self.letter_id._l10n_no_dispatch_on_job(self)
        return result

    def _l10n_no_dispatch_nothing_left(self, reason):
        """EXTENDS the core: a letter no channel reaches is "delivery failed" on the letter and its run
        (the dunning addon's own signal; a letter has no activities)."""
        letter_jobs = self.filtered("letter_id")
        for job in letter_jobs:
            job._l10n_no_dispatch_post(self.env._("Not sent: %(reason)s", reason=reason))
            job.letter_id._l10n_no_dunning_delivery_failed(reason)
        return super(L10nNoDispatchJob, self - letter_jobs)._l10n_no_dispatch_nothing_left(reason)

    def _l10n_no_dispatch_at_once(self):
        """A letter's job done with the run instead of by the cron: e-mail (into Odoo's mail queue) and
        in-house print (the PDF the person prints with the run)."""
        self.ensure_one()
        return bool(self.letter_id) and (self.channel == "email" or (
            self.channel == "print" and not self.company_id.l10n_no_dispatch_print_transport))

    def _l10n_no_dispatch_send_print(self):
        """EXTENDS the core: without a print house a letter is printed in-house — its PDF is kept on the
        letter for the run's printout, and it counts as posted on the run's date."""
        if self.letter_id and not self.company_id.l10n_no_dispatch_print_transport:
            _pdf, name = self.letter_id._l10n_no_dispatch_pdf()
            self._l10n_no_dispatch_mark("printed", name, note=self.env._("to be printed and posted in-house"))
            return True
        return super()._l10n_no_dispatch_send_print()
