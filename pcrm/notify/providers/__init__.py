"""Message providers reached over HTTP: NAVER Cloud SENS and NHN Cloud Notification."""
