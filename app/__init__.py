"""Peer Helper Trainer: offline training for school peer helpers."""

__version__ = "0.1.0"
APP_NAME = "Peer Helper Trainer"
APP_ID = "peer-helper-trainer"
