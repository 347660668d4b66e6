-- Notifications to the applicant (thông báo cho người nộp hồ sơ): one row per lifecycle event and
-- channel, written by the consumer of dossier.events in the transaction that reads the event, and
-- sent by the notification sender. The unique key makes a copy of an event (the relay publishing
-- again: same id, new offset) write nothing. The recipient is personal data and stays here.
CREATE TABLE notifications (
  id               bigserial PRIMARY KEY,
  event_id         uuid NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('email', 'sms', 'zalo')),
  dossier_id       uuid NOT NULL,
  kind             text NOT NULL
                   CHECK (kind IN ('received', 'supplement-requested', 'extended', 'result-ready')),
  recipient        text NOT NULL,
  subject          text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  UNIQUE (event_id, channel)
);
CREATE INDEX notifications_due ON notifications (channel, next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_dossier ON notifications (dossier_id);
