-- A copied (test/staging) database must not send dunning letters or post fee invoices on its own.
UPDATE res_company SET l10n_no_dunning_auto_send = false;
