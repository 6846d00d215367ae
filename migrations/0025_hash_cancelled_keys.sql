-- Citizens cancelled before 0022 kept their messages' provider ids in the clear (a WhatsApp id
-- carries the phone number): from now on those too are kept only as salted hashes.
UPDATE inbox SET dedupe_key = dedupe_hash(channel, dedupe_key)
  WHERE payload ? 'suprimido' AND NOT starts_with(dedupe_key, 'sha256:');
