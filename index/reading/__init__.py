"""Reading: review files in any format -> validated reviews, every rejected record reported."""
