using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Bodies;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.Property(o => o.Key).HasMaxLength(Limits.Name);
        b.HasIndex(o => o.Key).IsUnique();
        b.Property(o => o.Name).HasMaxLength(Limits.Title);
        b.Property(o => o.NameEn).HasMaxLength(Limits.Title);
    }
}

internal sealed class BodyConfiguration : IEntityTypeConfiguration<Body>
{
    public void Configure(EntityTypeBuilder<Body> b)
    {
        b.Property(x => x.Key).HasMaxLength(Limits.BodyKey);
        b.HasIndex(x => x.Key).IsUnique();
        b.Property(x => x.Name).HasMaxLength(Limits.Title);
        b.Property(x => x.NameEn).HasMaxLength(Limits.Title);
        b.Property(x => x.Description).HasMaxLength(4000);
        b.Property(x => x.DescriptionEn).HasMaxLength(4000);
        // Added by migration 20261122000000_Proposals with a default for existing rows; the value is always written
        // (sentinel -1 is never a real threshold), so a threshold of 0 is kept.
        b.Property(x => x.CoSponsorThreshold).HasDefaultValue(2).HasSentinel(-1);
        b.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.ComplexProperty(x => x.Quorum, q =>
        {
            q.Property(p => p.Numerator).HasColumnName("QuorumNumerator");
            q.Property(p => p.Denominator).HasColumnName("QuorumDenominator");
        });
        b.HasMany(x => x.Terms).WithOne(t => t.Body).HasForeignKey(t => t.BodyId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Terms).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class TermConfiguration : IEntityTypeConfiguration<Term>
{
    public void Configure(EntityTypeBuilder<Term> b)
    {
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.NameEn).HasMaxLength(Limits.Name);
        b.HasIndex(x => new { x.BodyId, x.Number }).IsUnique();
        b.HasMany(x => x.Members).WithOne(m => m.Term).HasForeignKey(m => m.TermId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Members).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b)
    {
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.EndReason).HasMaxLength(Limits.EndReason);
        b.Ignore(x => x.HasVote);
        b.Ignore(x => x.IsActive);
        b.HasOne(x => x.Organisation).WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
        // A person holds at most one seat per term.
        b.HasIndex(x => new { x.TermId, x.UserId }).IsUnique();
    }
}
