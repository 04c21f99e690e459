"""What a trainee uses: home, lessons, knowledge checks, role-plays, refreshers, check-ins, surveys."""
