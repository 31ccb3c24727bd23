using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Proposals;

internal sealed class ProposalConfiguration : IEntityTypeConfiguration<Proposal>
{
    public void Configure(EntityTypeBuilder<Proposal> b)
    {
        b.Property(x => x.Title).HasMaxLength(Limits.Title);
        b.Property(x => x.Text).HasMaxLength(Limits.ProposalText);
        b.Property(x => x.AuthorName).HasMaxLength(Limits.Name);
        b.Property(x => x.ReferredToName).HasMaxLength(Limits.Title);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Status).IsConcurrencyToken();
        b.HasOne<Body>().WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Body>().WithMany().HasForeignKey(x => x.ReferredToBodyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.AuthorUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AgendaItem>().WithMany().HasForeignKey(x => x.AgendaItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Poll>().WithMany().HasForeignKey(x => x.DecidedByPollId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<TopicSubmission>().WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Proposal>().WithMany().HasForeignKey(x => x.ReferredFromProposalId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.BodyId, x.Status });
        b.HasMany(x => x.Versions).WithOne(v => v.Proposal).HasForeignKey(v => v.ProposalId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.CoSponsors).WithOne(c => c.Proposal).HasForeignKey(c => c.ProposalId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.History).WithOne(h => h.Proposal).HasForeignKey(h => h.ProposalId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(x => x.CoSponsors).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(x => x.History).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ProposalVersionConfiguration : IEntityTypeConfiguration<ProposalVersion>
{
    public void Configure(EntityTypeBuilder<ProposalVersion> b)
    {
        b.Property(x => x.Title).HasMaxLength(Limits.Title);
        b.Property(x => x.Text).HasMaxLength(Limits.ProposalText);
        b.Property(x => x.AuthorName).HasMaxLength(Limits.Name);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.AuthorUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ProposalId, x.Number }).IsUnique();
    }
}

internal sealed class CoSponsorshipConfiguration : IEntityTypeConfiguration<CoSponsorship>
{
    public void Configure(EntityTypeBuilder<CoSponsorship> b)
    {
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ProposalId, x.UserId }).IsUnique();
    }
}

internal sealed class ProposalStatusChangeConfiguration : IEntityTypeConfiguration<ProposalStatusChange>
{
    public void Configure(EntityTypeBuilder<ProposalStatusChange> b)
    {
        b.Property(x => x.Note).HasMaxLength(Limits.Reason);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.ByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ProposalId, x.AtUtc });
    }
}

internal sealed class AmendmentConfiguration : IEntityTypeConfiguration<Amendment>
{
    public void Configure(EntityTypeBuilder<Amendment> b)
    {
        b.Property(x => x.OriginalText).HasMaxLength(Limits.ProposalText);
        b.Property(x => x.ProposedText).HasMaxLength(Limits.AmendmentText);
        b.Property(x => x.Rationale).HasMaxLength(Limits.Reason);
        b.Property(x => x.DecisionNote).HasMaxLength(Limits.Reason);
        b.Property(x => x.Status).IsConcurrencyToken();
        b.Property(x => x.AuthorName).HasMaxLength(Limits.Name);
        b.HasOne<Proposal>().WithMany().HasForeignKey(x => x.ProposalId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.AuthorUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Poll>().WithMany().HasForeignKey(x => x.PollId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ProposalId, x.Number }).IsUnique();
    }
}

internal sealed class TopicSubmissionConfiguration : IEntityTypeConfiguration<TopicSubmission>
{
    public void Configure(EntityTypeBuilder<TopicSubmission> b)
    {
        b.Property(x => x.Title).HasMaxLength(Limits.Title);
        b.Property(x => x.Text).HasMaxLength(Limits.TopicText);
        b.Property(x => x.SubmitterName).HasMaxLength(Limits.Name);
        b.Property(x => x.Contact).HasMaxLength(Limits.Contact);
        b.Property(x => x.SourceKey).HasMaxLength(64);
        b.Property(x => x.TrackingCode).HasMaxLength(16);
        b.Property(x => x.Status).IsConcurrencyToken();
        b.Property(x => x.Reason).HasMaxLength(Limits.Reason);
        b.Property(x => x.ReferredToName).HasMaxLength(Limits.Title);
        b.HasOne<Body>().WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Proposal>().WithMany().HasForeignKey(x => x.ProposalId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.TrackingCode).IsUnique();
        b.HasIndex(x => new { x.SourceKey, x.CreatedAtUtc });
        b.HasIndex(x => new { x.BodyId, x.Status });
    }
}
