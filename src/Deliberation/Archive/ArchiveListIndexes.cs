using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>
/// The archive list's narrow index on sessions (ADR 0021, 2026-12-03): every column the list orders and filters by
/// (scheduled time, id, body, kind), so the list's OFFSET walks index entries only, never the sessions' rows, and the
/// page's rows are read after (<see cref="ArchiveReader.ListAsync"/>). Kept here, next to the query it serves; the
/// sessions' own configuration is <c>SessionConfiguration</c>.
/// </summary>
internal sealed class ArchiveSessionListIndex : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> b) =>
        b.HasIndex(x => new { x.ScheduledAtUtc, x.Id, x.BodyId, x.Kind }).HasDatabaseName("IX_Sessions_ArchiveList");
}

/// <summary>
/// The other half of the list's index-only walk: a session's minutes with their status (and id), so "has a published
/// version" (<see cref="ArchiveQueries.Published"/>) is decided from index entries too.
/// </summary>
internal sealed class ArchiveMinutesListIndex : IEntityTypeConfiguration<SessionMinutes>
{
    public void Configure(EntityTypeBuilder<SessionMinutes> b) =>
        b.HasIndex(x => new { x.SessionId, x.Status, x.Id }).HasDatabaseName("IX_Minutes_ArchiveList");
}
