"""LL111 connection-in-handler: a database, cache or HTTP connection or pool created per invocation."""

from __future__ import annotations

import libcst as cst

from lambdalint.checks.base import code_check
from lambdalint.checks.code.per_invocation_construction import PerInvocationConstruction

#: qualified constructor → what it builds, in words for the message
CONNECTIONS: dict[str, str] = {
    **dict.fromkeys(
        (
            "pymysql.connect",
            "pymysql.connections.Connection",
            "MySQLdb.connect",
            "mysql.connector.connect",
            "psycopg2.connect",
            "psycopg.connect",
            "psycopg.Connection.connect",
            "pg8000.connect",
            "pg8000.native.Connection",
            "pyodbc.connect",
            "pymssql.connect",
            "oracledb.connect",
            "snowflake.connector.connect",
            "redshift_connector.connect",
            "aiomysql.connect",
            "asyncpg.connect",
        ),
        "database connection",
    ),
    **dict.fromkeys(
        (
            "mysql.connector.pooling.MySQLConnectionPool",
            "psycopg2.pool.SimpleConnectionPool",
            "psycopg2.pool.ThreadedConnectionPool",
            "psycopg_pool.ConnectionPool",
            "asyncpg.create_pool",
            "aiomysql.create_pool",
        ),
        "database connection pool",
    ),
    "sqlalchemy.create_engine": "SQLAlchemy engine (a connection pool)",
    "sqlalchemy.ext.asyncio.create_async_engine": "SQLAlchemy engine (a connection pool)",
    "pymongo.MongoClient": "MongoDB client (a connection pool)",
    "motor.motor_asyncio.AsyncIOMotorClient": "MongoDB client (a connection pool)",
    **dict.fromkeys(
        (
            "redis.Redis",
            "redis.StrictRedis",
            "redis.from_url",
            "redis.ConnectionPool",
            "redis.cluster.RedisCluster",
            "redis.asyncio.Redis",
            "redis.asyncio.from_url",
        ),
        "Redis connection",
    ),
    "elasticsearch.Elasticsearch": "Elasticsearch client",
    "opensearchpy.OpenSearch": "OpenSearch client",
    "neo4j.GraphDatabase.driver": "Neo4j driver",
    "cassandra.cluster.Cluster": "Cassandra cluster connection",
    "pika.BlockingConnection": "RabbitMQ connection",
    "kafka.KafkaProducer": "Kafka producer",
    "confluent_kafka.Producer": "Kafka producer",
    "requests.Session": "requests Session (an HTTP connection pool)",
    "requests.session": "requests Session (an HTTP connection pool)",
    "httpx.Client": "httpx Client (an HTTP connection pool)",
    "httpx.AsyncClient": "httpx Client (an HTTP connection pool)",
    "urllib3.PoolManager": "urllib3 PoolManager",
    "aiohttp.ClientSession": "aiohttp ClientSession (an HTTP connection pool)",
}

#: where an SQLite file is slow to open (EFS); elsewhere (/tmp, memory) it is cheap
EFS_PREFIX = "/mnt/"


@code_check
class ConnectionInHandler(PerInvocationConstruction):
    rule_id = "LL111"

    def constructs(self, node: cst.Call) -> str | None:
        name = self.facts.qualified_name(node.func) or ""
        if name in CONNECTIONS:
            return CONNECTIONS[name]
        if name in self.context.options.get("constructors", ()):
            return f"connection ({name})"
        if name == "sqlite3.connect" and _first_string(node).startswith(EFS_PREFIX):
            return "SQLite connection on EFS"
        return None


def _first_string(node: cst.Call) -> str:
    """The first argument when it is a literal string (the database path), else ""."""
    if node.args and isinstance(node.args[0].value, cst.SimpleString):
        value = node.args[0].value.evaluated_value
        return value if isinstance(value, str) else ""
    return ""
