"""What trainers and coordinators use: progress, people, sign-offs, certificates, supervision, school
settings, and the records panels (exports, merging, backups, erasure, the server)."""
