-- A copied database must not send EHF to real customers nor take documents from the real inbox:
-- every access point becomes the in-memory fake and stops fetching.
UPDATE l10n_no_ehf_access_point
   SET transport_type = 'memory',
       receive = false,
       sftp_password = NULL,
       storecove_api_key = NULL;
UPDATE l10n_no_ehf_outgoing SET state = 'cancelled' WHERE state = 'queued';
