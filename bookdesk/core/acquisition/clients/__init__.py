"""Download clients (qBittorrent, Transmission) behind one small protocol: ``base.DownloadClient``."""
