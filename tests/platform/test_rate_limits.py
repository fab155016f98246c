"""Sign-in throttling shares its counters between worker processes through Redis."""
import json
import subprocess
import sys
import uuid

import pytest
import redis

from tests import factories

ATTEMPT = """
import json, sys
from samklima import create_app
from tests.conftest import TEST_CONFIG, Browser
config = json.loads(sys.argv[1])
app = create_app({**TEST_CONFIG, **config})
browser = Browser(app)
codes = [browser.post("/login", {"email": "lene@dk2020.example", "password": "forkert"}).status_code
         for _ in range(int(sys.argv[2]))]
print(json.dumps(codes))
"""


def redis_available():
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_available(), reason="needs Redis on 127.0.0.1:6379")
def test_two_worker_processes_share_the_sign_in_limit(app, database):
    with app.app_context():
        factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
    owner_url, app_url = database
    config = {
        "SQLALCHEMY_DATABASE_URI": owner_url,
        "APP_DATABASE_URL": app_url if app_url != owner_url else None,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "RATELIMIT_KEY_PREFIX": f"samklima-test-{uuid.uuid4().hex}",
    }

    def worker(attempts):
        result = subprocess.run(
            [sys.executable, "-c", ATTEMPT, json.dumps(config), str(attempts)],
            capture_output=True, text=True, check=True, timeout=60,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    # Five failed attempts per e-mail address per minute, wherever they land.
    assert worker(3) == [422, 422, 422]
    assert worker(3) == [422, 422, 429]
