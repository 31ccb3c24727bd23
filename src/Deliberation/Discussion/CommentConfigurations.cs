using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Discussion;

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.Property(x => x.AuthorName).HasMaxLength(Limits.Name);
        b.Property(x => x.Text).HasMaxLength(Limits.CommentText);
        b.Property(x => x.HiddenReason).HasMaxLength(Limits.Reason);
        b.HasOne<Proposal>().WithMany().HasForeignKey(x => x.ProposalId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Amendment>().WithMany().HasForeignKey(x => x.AmendmentId).OnDelete(DeleteBehavior.Cascade);

        // Checked at the end of the statement (NO ACTION), so a cascade from the proposal can remove a whole thread.
        b.HasOne<Comment>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne<Comment>().WithMany().HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.AuthorUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.HiddenByUserId).OnDelete(DeleteBehavior.Restrict);

        // A page of threads: the discussion's first comments (ParentId null) in id order, either way.
        b.HasIndex(x => new { x.ProposalId, x.AmendmentId, x.ParentId, x.Id });
        b.Ignore(x => x.IsHidden);
        b.Ignore(x => x.IsEdited);
        b.Ignore(x => x.EditableUntilUtc);
    }
}

internal sealed class CommentReportConfiguration : IEntityTypeConfiguration<CommentReport>
{
    public void Configure(EntityTypeBuilder<CommentReport> b)
    {
        b.Property(x => x.Reason).HasMaxLength(Limits.Reason);
        b.HasOne<Comment>().WithMany().HasForeignKey(x => x.CommentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.ReporterUserId).OnDelete(DeleteBehavior.Restrict);

        // One report per person and comment: a second one, however it arrives, fails here.
        b.HasIndex(x => new { x.CommentId, x.ReporterUserId }).IsUnique();
    }
}
