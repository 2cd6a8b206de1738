-- Written by hand (Prisma models no triggers): issue 15, status changes under load.
--
-- The outbox hands out its numbers in commit order by locking the one "OutboxSequence" row until
-- the writer commits (migration `outbox`). A referral event's trigger took that lock when the
-- event was inserted, and the lock was then held while the row went back to the hub, the hub's
-- busy event loop got round to sending COMMIT, and PostgreSQL flushed it: bench/referrals found
-- the event INSERT waiting 45 ms on average (pg_stat_statements) behind other steps' locks, the
-- whole of a status change's p99. Fired at commit instead (a deferred constraint trigger), the
-- lock is held only inside PostgreSQL's own commit: the trigger, then the WAL flush.
--
-- What changes for readers: nothing. The row is the same, and written in the same transaction;
-- the referral it describes is read at commit, i.e. as the transaction leaves it (every service
-- transaction appends its one event after its last change of the referral). Lock order: a
-- transaction that also fires "*_match_change*" (the offer-change sequence, also at commit)
-- has locked the outbox first, by an immediate OFFER_CHANGED trigger or by the
-- "*_catalogue_outbox" trigger queued with it and named to fire before it.
DROP TRIGGER "ReferralEvent_outbox" ON "ReferralEvent";

CREATE CONSTRAINT TRIGGER "ReferralEvent_outbox" AFTER INSERT ON "ReferralEvent"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_outbox_referral_event();
