-- The channel each file came through. A boleta's later files may come on another channel than
-- the boleta (a citizen who reported in the app sends the photo on WhatsApp, quoting the folio):
-- the downloader must ask that channel where the file is, not the boleta's. NULL (rows before
-- this): the boleta's channel, as it was assumed until now.
ALTER TABLE boleta_media ADD COLUMN channel text;
