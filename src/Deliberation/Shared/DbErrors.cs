using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>Recognises a unique-constraint violation on either supported database.</summary>
public static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException is DbException inner && IsUniqueViolation(inner);

    /// <summary>The same for a statement sent without <c>SaveChanges</c> (raw SQL), which throws the provider's own exception.</summary>
    public static bool IsUniqueViolation(DbException exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
