using CommunityDeliberation.Deliberation.Bodies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Ledger;

internal sealed class LedgerItemConfiguration : IEntityTypeConfiguration<LedgerItem>
{
    public void Configure(EntityTypeBuilder<LedgerItem> b)
    {
        b.Property(x => x.Title).HasMaxLength(LedgerItem.TitleMax);
        b.Property(x => x.Details).HasMaxLength(LedgerItem.DetailsMax);
        b.Property(x => x.OwnerName).HasMaxLength(LedgerItem.OwnerMax);
        b.Property(x => x.OwnerUserId).HasMaxLength(450);
        b.Property(x => x.Area).HasMaxLength(LedgerItem.AreaMax);
        b.Property(x => x.Evidence).HasMaxLength(LedgerItem.EvidenceMax);
        b.Property(x => x.EvidenceLink).HasMaxLength(LedgerItem.LinkMax);
        b.Property(x => x.EscalationAnswer).HasMaxLength(LedgerItem.EvidenceMax);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450);
        b.Property(x => x.Version).IsConcurrencyToken();

        // Added to a table with rows: the column's default is false, then the migration sets it from Status.
        b.Property(x => x.IsClosedOut).HasDefaultValue(false);
        b.HasOne<Body>().WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Body>().WithMany().HasForeignKey(x => x.EscalatedToBodyId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.History).WithOne().HasForeignKey(e => e.LedgerItemId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.History).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasIndex(x => new { x.BodyId, x.Status, x.DueOn });
        b.HasIndex(x => x.EscalatedToBodyId);
        b.HasIndex(x => x.Area);

        // The progress page's order: unfinished first, by due date, then by id (the rowid on SQLite).
        b.HasIndex(x => new { x.IsClosedOut, x.DueOn, x.Id });
        b.HasIndex(x => new { x.Status, x.DueOn });
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> b)
    {
        b.Property(x => x.Note).HasMaxLength(LedgerItem.EvidenceMax);
        b.Property(x => x.ByUserId).HasMaxLength(450);
        b.HasIndex(x => new { x.LedgerItemId, x.AtUtc });
    }
}
