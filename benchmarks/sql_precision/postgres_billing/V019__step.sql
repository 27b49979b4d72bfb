ALTER TABLE subscriptions ADD COLUMN coupon text;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_coupon_fk FOREIGN KEY (coupon) REFERENCES coupons (code);
